package dev.headroom.edge.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BulkheadTest {
    @Test
    void aFullPoolRefusesAtOnceAndOnlyItsOwnClass() {
        Bulkhead search = new Bulkhead("search", 3);
        Bulkhead checkout = new Bulkhead("checkout", 3);
        for (int i = 0; i < 3; i++) {
            assertThat(search.tryEnter()).isTrue();
        }
        assertThat(search.tryEnter()).as("the fourth slow search is refused").isFalse();
        assertThat(search.rejected()).isEqualTo(1);
        assertThat(checkout.tryEnter()).as("checkout has its own pool").isTrue();
        search.leave();
        assertThat(search.tryEnter()).isTrue();
        assertThat(search.inUse()).isEqualTo(3);
    }

    @Test
    void leavingMoreThanEnteredIsAnError() {
        Bulkhead b = new Bulkhead("search", 1);
        assertThatThrownBy(b::leave).isInstanceOf(IllegalStateException.class)
                .hasMessage("bulkhead 'search' left more often than entered");
        assertThat(b.inUse()).isZero();
    }
}
