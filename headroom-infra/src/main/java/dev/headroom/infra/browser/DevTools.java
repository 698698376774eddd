package dev.headroom.infra.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One DevTools protocol session over the JDK's WebSocket client: commands carry an id and their answer
 * completes the future waiting on that id; messages without an id are events, handed to one listener
 * (on the WebSocket's thread, so it must not block).
 */
final class DevTools implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private final Consumer<JsonNode> events;
    private volatile WebSocket socket;

    private DevTools(Consumer<JsonNode> events) {
        this.events = events;
    }

    static DevTools connect(HttpClient http, URI target, Consumer<JsonNode> events, Duration timeout) {
        DevTools devTools = new DevTools(events);
        devTools.socket = await(http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(target, devTools),
                "connect to " + target, timeout);
        return devTools;
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("DevTools sent text that is not JSON: " + text, e);
        }
    }

    /** Sends {@code method} and waits for its result; a protocol error becomes an exception naming the method. */
    JsonNode call(String method, ObjectNode params, Duration timeout) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = params().put("id", id).put("method", method);
        message.set("params", params);
        try {
            synchronized (this) { // the JDK's WebSocket allows one send in flight at a time
                await(socket.sendText(message.toString(), true), "send " + method, timeout);
            }
            JsonNode reply = await(answer, method, timeout);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } finally {
            pending.remove(id);
        }
    }

    void close() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode message = parse(partial.toString());
            partial.setLength(0);
            CompletableFuture<JsonNode> answer = message.has("id") ? pending.get(message.get("id").asInt()) : null;
            if (answer != null) {
                answer.complete(message);
            } else if (message.has("method")) {
                events.accept(message);
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        failAll(new IllegalStateException("DevTools connection closed (" + statusCode + " " + reason + ")"));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        failAll(error);
    }

    private void failAll(Throwable cause) {
        pending.values().forEach(f -> f.completeExceptionally(cause));
    }

    static <T> T await(CompletableFuture<T> future, String what, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": no answer from Chromium within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }
}
