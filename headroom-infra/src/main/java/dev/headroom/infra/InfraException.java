package dev.headroom.infra;

/**
 * A server could not be started, reached, or claimed. The message names the server ({@code postgres} or
 * {@code redis}), the cause, and, for an embedded server that failed to start, the last lines of its log file.
 */
public final class InfraException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InfraException(String message) {
        super(message);
    }

    InfraException(String message, Throwable cause) {
        super(message, cause);
    }
}
