package dev.aio4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * Peer: one thread driving a bare {@link Selector}, the machinery under the
 * executor and loom backends' sockets, on echo only: the server and the 50
 * clients are selection-key handlers of the same selector, with no tasks,
 * no stream parsing and no copies. It measures what {@code java.nio} can do
 * on one thread here, the ceiling of a selector-based loop (asyncio's
 * SelectorEventLoop design); the bare Netty peer measures the same with
 * Netty's native transport.
 */
public final class NioSelectorPeer implements Subject {
    /** asyncio's listen backlog: the 50 clients connect at once. */
    private static final int BACKLOG = 100;

    @Override
    public String name() {
        return "peer:nio-selector";
    }

    @Override
    public boolean isBackend() {
        return false;
    }

    @Override
    public Optional<String> skipReason(Workload w) {
        return w == Workload.ECHO ? Optional.empty() : Optional.of(w == Workload.ECHO_GROUP
                ? "one selector on one thread (the bare Netty peer runs a group)" : "a bare selector runs sockets only");
    }

    @Override
    public long run(Workload w, int n) throws IOException {
        if (w != Workload.ECHO) {
            throw new UnsupportedOperationException(w.id());
        }
        int lines = n / Workload.ECHO_CLIENTS;
        int size = Workload.ECHO_LINE.length;
        long roundTrips = 0;
        try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
            server.configureBlocking(false);
            SelectionKey acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
            for (int c = 0; c < Workload.ECHO_CLIENTS; c++) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(server.getLocalAddress());
                ch.register(selector, SelectionKey.OP_CONNECT, new int[] {0, lines}); // {bytes received, lines left}
            }
            ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
            ByteBuffer line = ByteBuffer.allocateDirect(size).put(Workload.ECHO_LINE).flip();
            int clientsLeft = Workload.ECHO_CLIENTS;
            while (clientsLeft > 0) {
                selector.select();
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k == acceptKey) {
                        SocketChannel s;
                        while ((s = server.accept()) != null) {
                            s.configureBlocking(false);
                            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            s.register(selector, SelectionKey.OP_READ); // no attachment: a server side
                        }
                        continue;
                    }
                    SocketChannel ch = (SocketChannel) k.channel();
                    if (k.isConnectable()) {
                        ch.finishConnect();
                        k.interestOps(SelectionKey.OP_READ);
                        ch.write(line.rewind());
                        continue;
                    }
                    in.clear();
                    int got = ch.read(in);
                    if (got < 0) {
                        k.cancel();
                        ch.close();
                        continue;
                    }
                    in.flip();
                    if (k.attachment() == null) {
                        ch.write(in); // echo; 64-byte lines fit any socket buffer
                        continue;
                    }
                    int[] state = (int[]) k.attachment();
                    state[0] += got;
                    while (state[0] >= size) {
                        state[0] -= size;
                        roundTrips++;
                        if (--state[1] == 0) {
                            k.cancel();
                            ch.close();
                            clientsLeft--;
                            break;
                        }
                        ch.write(line.rewind());
                    }
                }
            }
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
        }
        LoopWorkloads.check(roundTrips == (long) lines * Workload.ECHO_CLIENTS, "echo did " + roundTrips);
        return roundTrips;
    }

    @Override
    public void close() {}
}
