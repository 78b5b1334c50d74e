package dev.aio4j.engine;

import dev.aio4j.Future;
import dev.aio4j.net.Protocol;
import dev.aio4j.net.Transport;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A connection attempt of a {@link SelectorDriver}: waits for OP_CONNECT, then becomes a transport. Baton holder. */
final class NioConnector implements SelectorDriver.NioChannel {
    private final SelectorDriver loop;
    private final SocketChannel ch;
    private final Protocol protocol;
    private final Future<Transport> result;

    NioConnector(SelectorDriver loop, SocketChannel ch, Protocol protocol, Future<Transport> result) {
        this.loop = loop;
        this.ch = ch;
        this.protocol = protocol;
        this.result = result;
    }

    @Override
    public void ready(SelectionKey key) {
        if (result.isDone()) { // cancelled while connecting: abandon the socket
            loop.closeChannel(key, ch);
            return;
        }
        try {
            if (!ch.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            loop.closeChannel(key, ch);
            result.setException(e);
            return;
        }
        connected(key);
    }

    /** The socket is connected: hand it to a transport and tell the protocol, then the caller. */
    void connected(SelectionKey key) {
        NioTransport t = new NioTransport(loop, ch, key, protocol);
        if (t.start()) {
            result.setResult(t);
        } else {
            result.setException(new IOException("connectionMade() failed; the connection was aborted"));
        }
    }

    @Override
    public void closeWithLoop() {
        SelectorDriver.closeQuietly(ch);
    }
}
