package dev.headroom.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's environment is a copy, and its values (secrets, such as an admin token) never show in the spec's text. */
class JvmNodeSpecTest {
    @Test
    void theEnvironmentIsCopiedAndOnlyItsNamesShow() {
        Map<String, String> env = new HashMap<>(Map.of("HEADROOM_ADMIN_TOKEN", "s3cret-value"));
        JvmNodeSpec spec = JvmNodeSpec.builder("node-1", "x.Main").environment(env).build();
        env.put("LATER", "added");
        assertThat(spec.environment()).containsExactly(Map.entry("HEADROOM_ADMIN_TOKEN", "s3cret-value"));
        assertThat(spec.withNiceness(5).environment()).isEqualTo(spec.environment());
        assertThat(spec.toString()).contains("HEADROOM_ADMIN_TOKEN").doesNotContain("s3cret-value");
    }
}
