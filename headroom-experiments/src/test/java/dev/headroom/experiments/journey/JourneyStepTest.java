package dev.headroom.experiments.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.shop.Profile;
import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JourneyStepTest {
    @Test
    void eachStepAddsExactlyOneOptimizationFromTheBaselineToTheOptimizedProfile() {
        List<JourneyStep> steps = JourneyStep.standard();
        assertThat(steps).extracting(JourneyStep::name)
                .containsExactly("baseline", "indexes", "single-query", "pool", "http", "l1", "l2", "edge", "replicas", "admission");
        assertThat(steps.getFirst().switches()).isEqualTo(Switches.NONE);
        JourneyStep admission = steps.getLast();
        assertThat(admission.edge()).isTrue();
        assertThat(admission.switches()).as("admission completes the optimized profile").isEqualTo(Profile.OPTIMIZED.switches());
        JourneyStep replicas = steps.get(steps.size() - 2);
        assertThat(admission.switches()).as("the admission step adds one switch to the replicas'").isEqualTo(replicas.switches().with(Switch.ADMISSION));
        assertThat(replicas.edge()).isTrue();
        assertThat(replicas.replicas()).isTrue();
        JourneyStep edge = steps.get(steps.size() - 3);
        assertThat(edge.edge()).isTrue();
        assertThat(edge.replicas()).isFalse();
        assertThat(replicas.switches()).as("the replicas step adds one switch to the edge's").isEqualTo(edge.switches().with(Switch.REPLICAS));
        assertThat(edge.switches()).as("the edge adds no switch").isEqualTo(steps.get(steps.size() - 4).switches());
        steps = steps.subList(0, steps.size() - 3);
        assertThat(steps).noneMatch(JourneyStep::edge).noneMatch(JourneyStep::replicas);
        for (int i = 1; i < steps.size(); i++) {
            Switches before = steps.get(i - 1).switches();
            Switches after = steps.get(i).switches();
            int added = after.on().size() - before.on().size() + (after.cache() != before.cache() ? 1 : 0);
            assertThat(added).as(steps.get(i).name()).isEqualTo(1);
            assertThat(after.on()).containsAll(before.on());
        }
        Set<String> ids = new HashSet<>();
        steps.forEach(s -> ids.add(s.switches().id()));
        assertThat(ids).hasSize(steps.size());
    }

    @Test
    void selectKeepsJourneyOrderAndNamesTheValidSteps() {
        List<JourneyStep> all = JourneyStep.standard();
        assertThat(JourneyStep.select(all, "l2, indexes")).extracting(JourneyStep::name).containsExactly("indexes", "l2");
        assertThatThrownBy(() -> JourneyStep.select(all, "indexes,read-models"))
                .hasMessage("no step named 'read-models'; the steps are baseline, indexes, single-query, pool, http, l1, l2, edge, replicas, admission");
    }
}
