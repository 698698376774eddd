package dev.headroom.shop.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class SeedSpecTest {

    @Test
    void theDefaultIsTheDemoDataset() {
        assertThat(SeedSpec.DEFAULT).isEqualTo(new SeedSpec(100_000, 10_000, 1_000_000, 42));
    }

    @Test
    void acceptsTheSmallestAndLargestCounts() {
        assertThat(new SeedSpec(1, 1, 0, Long.MIN_VALUE).orders()).isZero();
        assertThat(new SeedSpec(SeedSpec.MAX_USERS, SeedSpec.MAX_PRODUCTS, Long.MAX_VALUE, -1).users())
                .isEqualTo(10_000_000);
    }

    @Test
    void rejectsCountsOutOfRangeNamingTheFieldAndValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SeedSpec(0, 10, 10, 1))
                .withMessage("users must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new SeedSpec(10_000_001, 10, 10, 1))
                .withMessage("users must be at most 10000000, was 10000001");
        assertThatIllegalArgumentException().isThrownBy(() -> new SeedSpec(10, -3, 10, 1))
                .withMessage("products must be at least 1, was -3");
        assertThatIllegalArgumentException().isThrownBy(() -> new SeedSpec(10, 10_000_001, 10, 1))
                .withMessage("products must be at most 10000000, was 10000001");
        assertThatIllegalArgumentException().isThrownBy(() -> new SeedSpec(10, 10, -1, 1))
                .withMessage("orders must be at least 0, was -1");
    }
}
