package dev.headroom.shop.http;

/** One field at fault in a request, as listed in a problem's {@code errors}. */
public record FieldError(String field, String detail) {
}
