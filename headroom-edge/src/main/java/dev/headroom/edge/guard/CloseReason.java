package dev.headroom.edge.guard;

/** Why a {@link ConnectionGuard} closed or refused a connection; {@link #label()} is the metric's label value. */
public enum CloseReason {
    HEADER_TIMEOUT("header-timeout"),
    BODY_TIMEOUT("body-timeout"),
    IDLE("idle"),
    LIMIT_TOTAL("limit-total"),
    LIMIT_ADDRESS("limit-address");

    private final String label;

    CloseReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
