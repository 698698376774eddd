package dev.headroom.shop.http;

import java.util.List;
import java.util.Map;

/**
 * A request that cannot be served as asked; rendered as {@code application/problem+json} (RFC 9457).
 * Thrown before anything is changed, so the client can fix the request and retry.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    public ApiException(int status, String title, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail, List.of(), Map.of());
    }

    /** 400 for one field, e.g. {@code invalid("limit", "must be between 1 and 100, was 500")}. */
    public static ApiException invalid(String field, String detail) {
        return invalid(List.of(new FieldError(field, detail)));
    }

    public static ApiException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().detail()
                : errors.size() + " fields are invalid";
        return new ApiException(400, "Bad Request", detail, errors, Map.of());
    }

    /** 422: well-formed, but refers to something that does not exist or cannot be done. */
    public static ApiException unprocessable(String field, String detail) {
        return new ApiException(422, "Unprocessable request", field + ": " + detail,
                List.of(new FieldError(field, detail)), Map.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail, List.of(), Map.of());
    }

    public static ApiException conflict(String field, String detail) {
        return new ApiException(409, "Conflict", field + ": " + detail, List.of(new FieldError(field, detail)), Map.of());
    }

    public static ApiException unavailable(String detail, int retryAfterSeconds) {
        return new ApiException(503, "Service Unavailable", detail, List.of(),
                Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    public int status() { return status; }
    public String title() { return title; }
    public String detail() { return getMessage(); }
    public List<FieldError> errors() { return errors; }
    public Map<String, String> headers() { return headers; }
}
