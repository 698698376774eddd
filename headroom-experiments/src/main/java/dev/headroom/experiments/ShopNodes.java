package dev.headroom.experiments;

import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Shop nodes on one PostgreSQL and one Redis, as behind a load balancer; the experiment drives each directly. */
public final class ShopNodes implements AutoCloseable {
    private final List<Shop> nodes;

    private ShopNodes(List<Shop> nodes) {
        this.nodes = nodes;
    }

    /** {@code count} nodes with the same settings, on a database that {@link Shop#prepare} made ready. */
    public static ShopNodes start(ShopConfig config, int count) throws Exception {
        List<Shop> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                started.add(Shop.serve(config));
            }
            return new ShopNodes(List.copyOf(started));
        } catch (Exception e) {
            started.forEach(Shop::close);
            throw e;
        }
    }

    public List<Shop> list() {
        return nodes;
    }

    public Shop first() {
        return nodes.getFirst();
    }

    /** The load run one node gets; {@code index} is its place in {@link #list()}. */
    public interface RunFor {
        LoadRun.Builder on(int index, Shop node);
    }

    /** One run per node, at the same time, each on its own thread (its own event loop); results in node order. */
    public List<RunResult> runOnEach(RunFor run) throws Exception {
        List<LoadRun.Builder> builders = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            builders.add(run.on(i, nodes.get(i)));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(builders.size())) {
            List<Future<RunResult>> runs = new ArrayList<>();
            for (LoadRun.Builder b : builders) {
                runs.add(threads.submit(b::run));
            }
            List<RunResult> results = new ArrayList<>();
            for (Future<RunResult> r : runs) {
                results.add(r.get());
            }
            return results;
        }
    }

    @Override
    public void close() {
        nodes.forEach(Shop::close);
    }
}
