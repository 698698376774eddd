package dev.headroom.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Consumer;

/**
 * Picks a free TCP port on 127.0.0.1 by binding to it and letting go.
 *
 * <p>The check races with other processes: a port free here can be taken before the server binds it. The
 * server then fails to start and its log tail says so ("Address already in use").
 */
final class Ports {

    /** How many ports above the requested one are tried before giving up. */
    static final int SEARCH = 100;

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Ports() {
    }

    /**
     * @param server    {@code postgres} or {@code redis}, for messages
     * @param setting   the builder setting, for messages
     * @param requested 0 for any free port, else the first port to try
     */
    static int choose(String server, String setting, int requested, Consumer<String> log) {
        if (requested == 0) {
            try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new InfraException(server + ": could not find a free port on " + LOOPBACK.getHostAddress() + ": " + e.getMessage(), e);
            }
        }
        int last = Math.min(65535, requested + SEARCH - 1);
        for (int port = requested; port <= last; port++) {
            if (isFree(port)) {
                if (port != requested) {
                    log.accept(server + ": port " + requested + " is taken, using " + port);
                }
                return port;
            }
        }
        throw new InfraException(server + ": no free port in " + requested + ".." + last + " on " + LOOPBACK.getHostAddress()
                + "; stop what holds them or pass another " + setting);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Same option as postgres and redis-server set, so a port with connections in TIME_WAIT counts as free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
