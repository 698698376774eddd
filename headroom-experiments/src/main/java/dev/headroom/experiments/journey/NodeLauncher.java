package dev.headroom.experiments.journey;

import dev.headroom.infra.JvmNodeSpec;
import dev.headroom.infra.Topology;
import dev.headroom.shop.Switches;
import java.util.List;

/**
 * How a step's shop nodes are launched, each in a JVM of its own: supplied by the command that runs the journey
 * (it knows its own main class and flags), so that this module needs none of it.
 */
public interface NodeLauncher {
    /**
     * @param topology   the servers the nodes use
     * @param switches   the step's optimizations
     * @param count      how many nodes, named {@code node-1..count}
     * @param jvmOptions extra options for each node's JVM (e.g. a flight recording), may be empty
     * @param warmNodes  how many nodes, from node-1 on, load every product into their caches before they are ready
     *                   ({@code up --warm}): 0, 1 (a shared cache), or all (a cache of each node's own)
     */
    List<JvmNodeSpec> specs(Topology topology, Switches switches, int count, List<String> jvmOptions, int warmNodes);

    /** The edge in front of {@code backends} ({@code host:port} each), in a JVM of its own, named {@code edge}. */
    JvmNodeSpec edge(List<String> backends);
}
