package dev.headroom.infra;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link LeftOverServerTest}: starts an Infra on {@code args[0]} with any free ports,
 * prints {@code READY <postgres port> <redis port>}, and waits to be killed. {@code args[1]} is stopOnShutdown.
 */
public final class InfraChild {

    private InfraChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Infra infra = Infra.builder()
                .dataDir(Path.of(args[0]))
                .postgresPort(0)
                .redisPort(0)
                .durable(false)
                .stopOnShutdown(Boolean.parseBoolean(args[1]))
                .log(line -> {
                    System.out.println("LOG " + line);
                    System.out.flush();
                })
                .start();
        System.out.println("READY " + infra.topology().primary().port() + " " + infra.topology().redis().port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
