package dev.headroom.lab.run;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns a {@link RequestSpec} into HTTP/1.1 bytes. A run that sends one fixed request (the common case,
 * and the one that must keep up with wrk) has it encoded once, and each send writes a duplicate of those
 * bytes: no formatting and no copy on the hot path. Any other request is encoded into a pooled buffer
 * that the write releases.
 */
final class RequestEncoder {
    private final String hostHeader;
    private final RequestSpec fixed;
    private final ByteBuf fixedBytes;

    /** {@code connector} frees the fixed request's bytes when it shuts down, once no write can still hold them. */
    RequestEncoder(String host, int port, boolean defaultPort, RequestSpec fixed, Connector connector) {
        this.hostHeader = defaultPort ? host : host + ":" + port;
        this.fixed = fixed;
        this.fixedBytes = fixed == null ? null
                : Unpooled.unreleasableBuffer(connector.releaseAtShutdown(encodeInto(fixed, Unpooled::directBuffer)).asReadOnly());
    }

    ByteBuf encode(RequestSpec spec, ByteBufAllocator alloc) {
        return spec == fixed ? fixedBytes.duplicate() : encodeInto(spec, alloc::directBuffer);
    }

    private ByteBuf encodeInto(RequestSpec spec, java.util.function.IntFunction<ByteBuf> allocate) {
        StringBuilder head = new StringBuilder(128)
                .append(spec.method()).append(' ').append(spec.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n");
        boolean userAgent = false;
        for (Map.Entry<String, String> h : spec.headers()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            userAgent |= h.getKey().equalsIgnoreCase("User-Agent");
        }
        if (!userAgent) {
            head.append("User-Agent: headroom-load\r\n");
        }
        byte[] body = spec.body();
        if (body != null || !spec.method().equals("GET") && !spec.method().equals("HEAD")) {
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf buf = allocate.apply(headBytes.length + (body == null ? 0 : body.length));
        buf.writeBytes(headBytes);
        if (body != null) {
            buf.writeBytes(body);
        }
        return buf;
    }
}
