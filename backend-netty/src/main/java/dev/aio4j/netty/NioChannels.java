package dev.aio4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Netty's NIO socket channels, with the JDK channel reachable for
 * {@link Transport#writeNow}: a task writes straight to the socket, as the
 * selector engine does, while Netty's queue is empty. Netty keeps it
 * {@code protected}; these subclasses are the only change.
 */
final class NioChannels {
    private NioChannels() {}

    /** A client or accepted NIO socket channel whose JDK channel this package may write. */
    static final class Socket extends NioSocketChannel {
        /** For {@code Bootstrap.channel}: a new, unconnected socket. */
        public Socket() {}

        Socket(Channel parent, SocketChannel ch) {
            super(parent, ch);
        }

        /** Writes what the non-blocking socket takes now. Baton holder, Netty's queue for it empty. */
        int writeNow(ByteBuffer b) throws IOException {
            return javaChannel().write(b);
        }

        /** Shuts the JDK channel down in the directions asked. Same conditions as writeNow. */
        void shutdownNow(boolean input, boolean output) throws IOException {
            if (input) {
                javaChannel().shutdownInput();
            }
            if (output) {
                javaChannel().shutdownOutput();
            }
        }
    }

    /**
     * A listening NIO channel whose accepted channels are {@link Socket}s,
     * and whose close stops the listen at once.
     */
    static final class Server extends NioServerSocketChannel {
        /** For {@code ServerBootstrap.channel}. */
        public Server() {}

        /**
         * Closes, then deregisters at once: the JDK keeps a registered
         * channel's socket listening until its selector deregisters it, which
         * Netty leaves to a later task and the select after it; meanwhile the
         * kernel would accept connections that only get reset. Netty's own
         * {@code selectAgain} runs this same selectNow on the event loop.
         */
        @Override
        @SuppressWarnings("deprecation") // selectionKey(): deprecated in 4.2, still the only way to the JDK key
        protected void doClose() throws Exception {
            super.doClose();
            SelectionKey k = selectionKey();
            if (k != null) {
                k.cancel();
                k.selector().selectNow();
            }
        }

        @Override
        protected int doReadMessages(List<Object> buf) throws Exception {
            SocketChannel ch = javaChannel().accept();
            if (ch == null) {
                return 0;
            }
            try {
                buf.add(new Socket(this, ch));
                return 1;
            } catch (RuntimeException e) {
                ch.close();
                throw e;
            }
        }
    }
}
