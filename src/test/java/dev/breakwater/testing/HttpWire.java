package dev.breakwater.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough HTTP/1.1 to talk to real clients. Written by hand (instead of using a server library)
 * so that {@link FakeUpstream} controls every byte and can stop, stall or reset at any point.
 */
final class HttpWire {

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final int MAX_BODY = 32 * 1024 * 1024;

    private HttpWire() {}

    /** Thrown for requests we cannot make sense of; answered with 400 and a closed connection. */
    static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    record Request(String method, String target, String version, Map<String, String> headers, byte[] body) {

        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        boolean keepAlive() {
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            if ("HTTP/1.0".equals(version)) {
                return connection.contains("keep-alive");
            }
            return !connection.contains("close");
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Reads one request; {@code null} when the peer closed the connection between requests. */
    static Request read(InputStream in, OutputStream out) throws IOException {
        String requestLine = readLine(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine(in); // RFC 9112 §2.2: tolerate stray CRLFs between requests
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest("bad request line: " + requestLine);
        }
        Map<String, String> headers = readHeaders(in);
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        return new Request(parts[0], parts[1], parts[2], headers, readBody(in, headers));
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            String line = readLine(in);
            if (line == null) {
                throw new BadRequest("connection closed inside headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || i >= MAX_HEADERS) {
                throw new BadRequest("bad header line: " + line);
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String transferEncoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (transferEncoding.contains("chunked")) {
            return readChunked(in);
        }
        String length = headers.get("content-length");
        if (length == null) {
            return new byte[0];
        }
        int n;
        try {
            n = Integer.parseInt(length.strip());
        } catch (NumberFormatException e) {
            throw new BadRequest("bad content-length: " + length);
        }
        if (n < 0 || n > MAX_BODY) {
            throw new BadRequest("unsupported content-length: " + n);
        }
        return readExactly(in, n);
    }

    // Clients in this project send Content-Length, but decoding chunked is cheap and keeps others working.
    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new BadRequest("connection closed inside chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequest("bad chunk size: " + sizeLine);
            }
            if (size < 0 || body.size() + size > MAX_BODY) {
                throw new BadRequest("chunked body too large");
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine(in);
                } while (trailer != null && !trailer.isEmpty());
                return body.toByteArray();
            }
            body.write(readExactly(in, size));
            readLine(in); // CRLF after each chunk
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new BadRequest("connection closed inside body");
        }
        return bytes;
    }

    /** A line without its CR LF, or {@code null} on EOF before any byte of the line. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new BadRequest("line too long");
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new BadRequest("connection closed inside a line");
        }
        return null;
    }

    // ---- responses ---------------------------------------------------------------------------

    static void writeFixed(OutputStream out, int status, String contentType, Map<String, String> extraHeaders,
            String body, boolean keepAlive) throws IOException {
        writeFixed(out, status, contentType, extraHeaders, body.getBytes(StandardCharsets.UTF_8), keepAlive);
    }

    static void writeFixed(OutputStream out, int status, String contentType, Map<String, String> extraHeaders,
            byte[] bytes, boolean keepAlive) throws IOException {
        StringBuilder head = statusLine(status);
        header(head, "Content-Type", contentType);
        header(head, "Content-Length", Integer.toString(bytes.length));
        extraHeaders.forEach((name, value) -> header(head, name, value));
        header(head, "Connection", keepAlive ? "keep-alive" : "close");
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /** Status line and headers of a chunked SSE answer; events follow with {@link #writeChunk}. */
    static void writeStreamHead(OutputStream out, boolean keepAlive) throws IOException {
        StringBuilder head = statusLine(200);
        header(head, "Content-Type", "text/event-stream; charset=utf-8");
        header(head, "Cache-Control", "no-cache");
        header(head, "Transfer-Encoding", "chunked");
        header(head, "Connection", keepAlive ? "keep-alive" : "close");
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One chunk, flushed at once: SSE clients must see each event as soon as it is "generated". */
    static void writeChunk(OutputStream out, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static void writeLastChunk(OutputStream out) throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static StringBuilder statusLine(int status) {
        return new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    }

    private static void header(StringBuilder head, String name, String value) {
        head.append(name).append(": ").append(value).append("\r\n");
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 529 -> "Overloaded";
            default -> "Status " + status;
        };
    }
}
