package dev.headroom.analytics.ingest;

/** An NDJSON line that is not a valid event; the message names the line and the field. */
final class BadEventException extends Exception {
    BadEventException(String detail) {
        super(detail, null, false, false);
    }
}
