package dev.breakwater.providers.bedrock;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * AWS's binary event-stream framing ({@code application/vnd.amazon.eventstream}), as ConverseStream
 * answers: each message is a prelude (total length, headers length, CRC32 of both), headers, a payload
 * and a CRC32 of the whole message, all big-endian. A short or corrupt frame is a cut stream (TRANSIENT:
 * the next attempt may get a whole one).
 */
final class EventStreamFrames {

    /** One message: its string headers ({@code :event-type}, {@code :message-type}...) and payload. */
    record Frame(Map<String, String> headers, byte[] payload) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    private EventStreamFrames() {
    }

    static List<Frame> decode(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        while (in.hasRemaining()) {
            int start = in.position();
            if (in.remaining() < 16) {
                throw cut("a frame is cut short");
            }
            int total = in.getInt();
            int headersLength = in.getInt();
            int preludeCrc = in.getInt();
            if (crc(bytes, start, 8) != preludeCrc || total < 16 + headersLength || total > bytes.length - start) {
                throw cut("a frame's prelude is corrupt or the frame is cut short");
            }
            if (crc(bytes, start, total - 4) != in.getInt(start + total - 4)) {
                throw cut("a frame's checksum does not match");
            }
            Map<String, String> headers = headers(in, in.position() + headersLength);
            int payloadStart = in.position();
            byte[] payload = new byte[start + total - 4 - payloadStart];
            in.get(payload);
            in.position(start + total);
            frames.add(new Frame(headers, payload));
        }
        return frames;
    }

    /** Reads headers up to {@code end}; values other than strings are skipped (Converse sends strings only). */
    private static Map<String, String> headers(ByteBuffer in, int end) {
        Map<String, String> headers = new HashMap<>();
        while (in.position() < end) {
            byte[] name = new byte[in.get() & 0xff];
            in.get(name);
            int type = in.get();
            switch (type) {
                case 0, 1 -> { } // boolean true / false: no value bytes
                case 2 -> in.get();
                case 3 -> in.getShort();
                case 4 -> in.getInt();
                case 5, 8 -> in.getLong();
                case 6, 7 -> {
                    byte[] value = new byte[in.getShort() & 0xffff];
                    in.get(value);
                    if (type == 7) {
                        headers.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
                    }
                }
                case 9 -> in.position(in.position() + 16);
                default -> throw cut("a frame header has unknown type " + type);
            }
        }
        return headers;
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static ClassifiedException cut(String reason) {
        return new ClassifiedException(Failure.of(FailureKind.TRANSIENT, "Bedrock's event stream is broken: " + reason));
    }
}
