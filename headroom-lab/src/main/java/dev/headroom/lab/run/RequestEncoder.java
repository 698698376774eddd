package dev.headroom.lab.run;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns a {@link RequestSpec} into HTTP/1.1 bytes. The last spec's bytes are kept, so a run that sends
 * one fixed request (the common case, and the one that must keep up with wrk) encodes it once and then
 * only writes a retained duplicate per request: no allocation, no formatting on the hot path.
 */
final class RequestEncoder {
    private final String hostHeader;
    private RequestSpec lastSpec;
    private ByteBuf lastBytes;

    RequestEncoder(String host, int port, boolean defaultPort) {
        this.hostHeader = defaultPort ? host : host + ":" + port;
    }

    ByteBuf encode(RequestSpec spec, ByteBufAllocator alloc) {
        if (spec == lastSpec) {
            return lastBytes.retainedDuplicate();
        }
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
        ByteBuf buf = Unpooled.directBuffer(headBytes.length + (body == null ? 0 : body.length));
        buf.writeBytes(headBytes);
        if (body != null) {
            buf.writeBytes(body);
        }
        if (lastBytes != null) {
            lastBytes.release();
        }
        lastSpec = spec;
        lastBytes = Unpooled.unreleasableBuffer(buf.asReadOnly());
        return lastBytes.retainedDuplicate();
    }
}
