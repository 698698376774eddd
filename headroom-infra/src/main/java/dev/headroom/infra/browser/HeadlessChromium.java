package dev.headroom.infra.browser;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Debian's Chromium ({@code /usr/bin/chromium}, or {@code $CHROMIUM}) headless, as a process of its own with
 * a fresh profile, driven over the DevTools protocol (the JDK's WebSocket client; no WebDriver): one page,
 * loaded, evaluated in, and photographed. JavaScript exceptions and {@code console.error} calls on the page
 * are kept in {@link #errors()}, so a test can say the page ran cleanly.
 *
 * <p>Not thread-safe: one test drives it. {@link #close()} kills the browser and its helper processes and
 * deletes the profile.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Path DEBIAN_CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration CALL = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(5);
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;

    private final Process process;
    private final Path dir;
    private final HttpClient http;
    private final DevTools devTools;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private HeadlessChromium(Process process, Path dir, HttpClient http, URI page) {
        this.process = process;
        this.dir = dir;
        this.http = http;
        this.devTools = DevTools.connect(http, page, this::onEvent, CALL);
        try {
            for (String domain : List.of("Page", "Runtime", "Log")) {
                devTools.call(domain + ".enable", DevTools.params(), CALL);
            }
            // the window's size includes no browser chrome in headless mode, yet the page got less: pin the viewport
            devTools.call("Emulation.setDeviceMetricsOverride", DevTools.params()
                    .put("width", WIDTH).put("height", HEIGHT).put("deviceScaleFactor", 1).put("mobile", false), CALL);
        } catch (RuntimeException e) {
            devTools.close();
            throw e;
        }
    }

    /** The browser this machine would start: {@code $CHROMIUM} when set, else Debian's. */
    public static Path executable() {
        String configured = System.getenv("CHROMIUM");
        return configured == null || configured.isBlank() ? DEBIAN_CHROMIUM : Path.of(configured);
    }

    public static boolean available() {
        return Files.isExecutable(executable());
    }

    /** Why {@link #start()} would fail on this machine, in one line, saying what to install. */
    public static String missingMessage() {
        return "Chromium not found at " + executable() + ": apt-get install chromium (or set CHROMIUM to a Chromium binary)";
    }

    /** Starts Chromium with a {@value #WIDTH}x{@value #HEIGHT} viewport on about:blank; fails in one line when it is not installed. */
    public static HeadlessChromium start() {
        if (!available()) {
            throw new IllegalStateException(missingMessage());
        }
        Path dir = null;
        Process process = null;
        HttpClient http = null;
        try {
            dir = Files.createTempDirectory("headroom-chromium-");
            Path profile = Files.createDirectory(dir.resolve("profile"));
            Path log = dir.resolve("chromium.log");
            process = new ProcessBuilder(executable().toString(),
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=" + WIDTH + "," + HEIGHT,
                    "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int port = devToolsPort(process, profile.resolve("DevToolsActivePort"), log);
            http = HttpClient.newHttpClient();
            return new HeadlessChromium(process, dir, http, pageTarget(http, port));
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.close();
            }
            if (process != null) {
                killTree(process);
            }
            if (dir != null) {
                deleteTree(dir);
            }
            throw e instanceof IOException io ? new UncheckedIOException("could not start Chromium", io) : (RuntimeException) e;
        }
    }

    /** Chromium writes the port it chose to its profile once it listens: "port\n/devtools/browser/id". */
    private static int devToolsPort(Process process, Path portFile, Path log) throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + " before listening: " + tail(log));
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            pause(Duration.ofMillis(20));
        }
        throw new IllegalStateException("Chromium did not write " + portFile + " within " + STARTUP.toSeconds() + " s: " + tail(log));
    }

    private static URI pageTarget(HttpClient http, int port) throws IOException {
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(CALL).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                for (JsonNode target : DevTools.parse(http.send(list, HttpResponse.BodyHandlers.ofString()).body())) {
                    if ("page".equals(target.path("type").asText()) && target.has("webSocketDebuggerUrl")) {
                        return URI.create(target.get("webSocketDebuggerUrl").asText());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Chromium's page", e);
            }
            pause(Duration.ofMillis(20));
        }
        throw new IllegalStateException("Chromium listed no page target on port " + port + " within " + STARTUP.toSeconds() + " s");
    }

    private void onEvent(JsonNode event) {
        JsonNode params = event.path("params");
        switch (event.path("method").asText()) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add(describe(params.path("exceptionDetails")));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(params.path("type").asText())) {
                    errors.add("console.error: " + params.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if ("error".equals(params.path("entry").path("level").asText())) {
                    errors.add(params.path("entry").path("text").asText() + " " + params.path("entry").path("url").asText());
                }
            }
            default -> { }
        }
    }

    /** Loads {@code url} and waits for its load event. */
    public void navigate(String url) {
        CompletableFuture<Void> load = new CompletableFuture<>();
        loaded = load;
        JsonNode result = devTools.call("Page.navigate", DevTools.params().put("url", url), CALL);
        if (result.hasNonNull("errorText")) {
            throw new IllegalStateException("could not load " + url + ": " + result.get("errorText").asText());
        }
        DevTools.await(load, "load " + url, CALL);
    }

    /**
     * Evaluates {@code js} in the page (promises awaited) and returns its value: a string as itself, anything
     * else as JSON text ({@code undefined} as "undefined"). An exception in the page is thrown here.
     */
    public String evaluate(String js) {
        JsonNode result = devTools.call("Runtime.evaluate", DevTools.params()
                .put("expression", js).put("returnByValue", true).put("awaitPromise", true), CALL);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw evaluating " + js + ": " + describe(result.get("exceptionDetails")));
        }
        JsonNode value = result.path("result");
        if ("undefined".equals(value.path("type").asText())) {
            return "undefined";
        }
        JsonNode v = value.path("value");
        return v.isTextual() ? v.asText() : v.toString();
    }

    /** Polls {@code predicate} (a JavaScript expression) until it is true; fails with the predicate after {@code timeout}. */
    public void waitFor(String predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"true".equals(evaluate("Boolean(" + predicate + ")"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("still false after " + timeout.toMillis() + " ms: " + predicate);
            }
            pause(POLL);
        }
    }

    /** Writes what the window shows now as a PNG. */
    public void screenshot(Path png) {
        JsonNode shot = devTools.call("Page.captureScreenshot", DevTools.params().put("format", "png"), CALL);
        try {
            Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + png, e);
        }
    }

    /** The page's uncaught exceptions, {@code console.error} calls and failed loads, oldest first. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        devTools.close();
        http.close();
        killTree(process);
        deleteTree(dir);
    }

    private static String describe(JsonNode exceptionDetails) {
        JsonNode exception = exceptionDetails.path("exception");
        return exception.has("description") ? exception.get("description").asText() : exceptionDetails.path("text").asText();
    }

    private static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // a zombie its parent will reap: nothing more to do
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
