package dev.headroom.analytics.ingest;

/** A frame that breaks the wire format ({@link FrameEncoder}); the message says how. */
final class MalformedFrameException extends Exception {
    MalformedFrameException(String reason) {
        super(reason, null, false, false);
    }
}
