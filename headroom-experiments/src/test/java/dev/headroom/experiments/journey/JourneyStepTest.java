package dev.headroom.experiments.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.shop.Profile;
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
                .containsExactly("baseline", "indexes", "single-query", "pool", "http", "l1", "l2", "edge");
        assertThat(steps.getFirst().switches()).isEqualTo(Switches.NONE);
        JourneyStep edge = steps.getLast();
        assertThat(edge.edge()).isTrue();
        assertThat(edge.switches()).as("the edge adds no switch").isEqualTo(Profile.OPTIMIZED.switches());
        steps = steps.subList(0, steps.size() - 1);
        assertThat(steps).noneMatch(JourneyStep::edge);
        assertThat(steps.getLast().switches()).isEqualTo(Profile.OPTIMIZED.switches());
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
        assertThatThrownBy(() -> JourneyStep.select(all, "indexes,replicas"))
                .hasMessage("no step named 'replicas'; the steps are baseline, indexes, single-query, pool, http, l1, l2, edge");
    }
}
