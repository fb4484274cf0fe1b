package io.cairn.server.hostile;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-socket HTTP/2 client (prior knowledge, no TLS) that sends whatever frames it is told to, valid or not,
 * for the cases a real client refuses to produce: lying gRPC length prefixes, header blocks that never end,
 * thousands of streams, resets. Header blocks are encoded as HPACK literals without indexing (no Huffman); the
 * server's header blocks are decoded with Netty's HPACK decoder, in arrival order (its dynamic table needs every
 * block). Not thread-safe: one test thread drives it.
 */
public final class RawHttp2 implements AutoCloseable {
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;
    public static final int END_STREAM = 0x1;
    public static final int ACK = 0x1;
    public static final int END_HEADERS = 0x4;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** HTTP/2 error code CANCEL. */
    public static final int CANCEL = 0x8;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final int port;
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false, 1 << 20);
    private final ByteArrayOutputStream pendingBlock = new ByteArrayOutputStream();
    private boolean goAway;
    /** When set, the server's PINGs get no answer (a peer that is gone). */
    private boolean silent;
    private int resets;

    private RawHttp2(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.port = port;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects to 127.0.0.1:{@code port} and sends the preface and an empty SETTINGS frame. */
    public static RawHttp2 connect(int port, Duration readTimeout) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), (int) readTimeout.toMillis());
        s.setSoTimeout((int) readTimeout.toMillis());
        s.setTcpNoDelay(true);
        RawHttp2 c = new RawHttp2(s, port);
        c.raw(PREFACE);
        c.frame(SETTINGS, 0, 0, new byte[0]);
        return c;
    }

    /** One received frame. */
    public record Frame(int type, int flags, int streamId, byte[] payload) {
        boolean endsStream() {
            return (type == DATA || type == HEADERS) && (flags & END_STREAM) != 0;
        }
    }

    /**
     * What a stream got: headers and trailers merged (names lower case), the DATA bytes, the RST_STREAM code
     * (-1: none), whether a GOAWAY came and whether the connection ended before the stream did.
     */
    public record Response(Map<String, String> headers, byte[] data, int resetCode, boolean goAway,
                           boolean connectionEnded) {
        public String header(String name) {
            return headers.get(name);
        }

        /** The gRPC status code, or -1 when there was none. */
        public int grpcStatus() {
            String s = headers.get("grpc-status");
            return s == null ? -1 : Integer.parseInt(s);
        }

        @Override
        public String toString() {
            return "Response{headers=" + headers + ", data=" + data.length + " bytes, reset=" + resetCode
                + ", goAway=" + goAway + ", connectionEnded=" + connectionEnded + "}";
        }
    }

    /** A gRPC request's header list for {@code path} (e.g. {@code /etcdserverpb.KV/Put}). */
    public List<String[]> grpcHeaders(String path) {
        List<String[]> h = new ArrayList<>();
        h.add(new String[] {":method", "POST"});
        h.add(new String[] {":scheme", "http"});
        h.add(new String[] {":path", path});
        h.add(new String[] {":authority", "127.0.0.1:" + port});
        h.add(new String[] {"content-type", "application/grpc"});
        h.add(new String[] {"te", "trailers"});
        return h;
    }

    /** A gRPC length-prefixed message: flag 0, the 4-byte length, the bytes. */
    public static byte[] grpcMessage(byte[] message) {
        byte[] out = new byte[5 + message.length];
        writeInt(out, 1, message.length);
        System.arraycopy(message, 0, out, 5, message.length);
        return out;
    }

    /** A gRPC message prefix claiming {@code declaredLength} bytes (an unsigned 32-bit value), then {@code body}. */
    public static byte[] grpcLyingPrefix(long declaredLength, byte[] body) {
        byte[] out = new byte[5 + body.length];
        writeInt(out, 1, (int) declaredLength);
        System.arraycopy(body, 0, out, 5, body.length);
        return out;
    }

    /** HPACK: each header as a literal without indexing, new name, no Huffman. */
    public static byte[] hpack(List<String[]> headers) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String[] h : headers) {
            b.write(0);
            hpackString(b, h[0].getBytes(StandardCharsets.UTF_8));
            hpackString(b, h[1].getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    private static void hpackString(ByteArrayOutputStream b, byte[] s) {
        int n = s.length;
        if (n < 127) {
            b.write(n);
        } else {
            b.write(127);
            n -= 127;
            while (n >= 128) {
                b.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            b.write(n);
        }
        b.write(s, 0, s.length);
    }

    public void headers(int streamId, List<String[]> headers, boolean endStream) throws IOException {
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, hpack(headers));
    }

    public void data(int streamId, byte[] data, boolean endStream) throws IOException {
        frame(DATA, endStream ? END_STREAM : 0, streamId, data);
    }

    public void rst(int streamId, int code) throws IOException {
        byte[] p = new byte[4];
        writeInt(p, 0, code);
        frame(RST_STREAM, 0, streamId, p);
    }

    /** Writes one frame with a correct 9-byte frame header. */
    public void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        writeInt(f, 5, streamId & 0x7fffffff);
        System.arraycopy(payload, 0, f, 9, payload.length);
        raw(f);
    }

    /** Writes bytes as they are. */
    public void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * The next frame; answers the server's SETTINGS and PINGs, decodes header blocks. Null when the connection
     * ended (EOF or reset).
     *
     * @throws SocketTimeoutException when nothing came within the read timeout
     */
    public Frame read() throws IOException {
        byte[] h = new byte[9];
        try {
            in.readFully(h);
        } catch (EOFException | java.net.SocketException ended) {
            return null;
        }
        int length = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
        byte[] payload = new byte[length];
        try {
            in.readFully(payload);
        } catch (EOFException | java.net.SocketException ended) {
            return null;
        }
        Frame f = new Frame(h[3] & 0xff, h[4] & 0xff, readInt(h, 5) & 0x7fffffff, payload);
        if (f.type() == SETTINGS && (f.flags() & ACK) == 0) {
            acknowledge(SETTINGS, new byte[0]);
        } else if (f.type() == PING && (f.flags() & ACK) == 0 && !silent) {
            acknowledge(PING, f.payload());
        } else if (f.type() == GOAWAY) {
            goAway = true;
        } else if (f.type() == RST_STREAM) {
            resets++;
        }
        return f;
    }

    /** Acknowledges a SETTINGS or PING; a connection the server already closed needs none. */
    private void acknowledge(int type, byte[] payload) {
        try {
            frame(type, ACK, 0, payload);
        } catch (IOException closed) {
            // the next read sees the end of the connection
        }
    }

    /** Reads until {@code streamId} ends (or is reset, or the connection ends); other streams' frames are dropped. */
    public Response await(int streamId) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            Frame f = read();
            if (f == null) {
                return new Response(headers, data.toByteArray(), -1, goAway, true);
            }
            if (f.type() == HEADERS || f.type() == CONTINUATION) {
                Map<String, String> block = headerBlock(f);
                if (f.streamId() == streamId) {
                    headers.putAll(block);
                }
            } else if (f.type() == DATA && f.streamId() == streamId) {
                data.write(f.payload(), 0, f.payload().length);
                windowUpdate(f);
            } else if (f.type() == DATA) {
                windowUpdate(f);
            } else if (f.type() == RST_STREAM && f.streamId() == streamId) {
                return new Response(headers, data.toByteArray(), readInt(f.payload(), 0), goAway, false);
            } else if (f.type() == GOAWAY && readInt(f.payload(), 0) < streamId) {
                return new Response(headers, data.toByteArray(), -1, true, false);
            }
            if (f.streamId() == streamId && f.endsStream()) {
                return new Response(headers, data.toByteArray(), -1, goAway, false);
            }
        }
    }

    /** Reads frames until the server closes the connection; false if it is still open after the read timeout. */
    /** {@link #awaitClosed()} as a peer that is gone would: the server's PINGs get no answer. */
    public boolean awaitClosedWithoutAnsweringPings() throws IOException {
        silent = true;
        return awaitClosed();
    }

    public boolean awaitClosed() throws IOException {
        try {
            while (true) {
                Frame f = read();
                if (f == null) {
                    return true;
                }
                if (f.type() == HEADERS || f.type() == CONTINUATION) {
                    headerBlock(f);
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    /** Reads (and handles) the frames already received, without waiting for more; false once the connection ended. */
    public boolean drain() throws IOException {
        while (in.available() > 0) {
            Frame f = read();
            if (f == null) {
                return false;
            }
            if (f.type() == HEADERS || f.type() == CONTINUATION) {
                headerBlock(f);
            } else if (f.type() == DATA) {
                windowUpdate(f);
            }
        }
        return !socket.isClosed();
    }

    /** RST_STREAM frames received so far. */
    public int resetsReceived() {
        return resets;
    }

    public boolean goAwayReceived() {
        return goAway;
    }

    /**
     * Gives back the window a DATA frame used, on the connection and on its stream (so responses never stall). A
     * connection the server already ended (a reset while writing) needs none: the next read sees the end.
     */
    private void windowUpdate(Frame data) {
        int n = data.payload().length;
        if (n > 0) {
            byte[] p = new byte[4];
            writeInt(p, 0, n);
            try {
                frame(WINDOW_UPDATE, 0, 0, p);
                if ((data.flags() & END_STREAM) == 0) {
                    frame(WINDOW_UPDATE, 0, data.streamId(), p);
                }
            } catch (IOException closed) {
                // the next read sees the end of the connection
            }
        }
    }

    /** Collects a header block's fragments; decodes it at END_HEADERS (empty map until then). */
    private Map<String, String> headerBlock(Frame f) throws IOException {
        int offset = 0;
        int padding = 0;
        if (f.type() == HEADERS) {
            if ((f.flags() & 0x8) != 0) {
                padding = f.payload()[0] & 0xff;
                offset = 1;
            }
            if ((f.flags() & 0x20) != 0) {
                offset += 5;
            }
        }
        pendingBlock.write(f.payload(), offset, f.payload().length - offset - padding);
        Map<String, String> out = new LinkedHashMap<>();
        if ((f.flags() & END_HEADERS) == 0) {
            return out;
        }
        ByteBuf block = Unpooled.wrappedBuffer(pendingBlock.toByteArray());
        pendingBlock.reset();
        try {
            Http2Headers decoded = hpack.decodeHeaders(f.streamId(), block);
            decoded.forEach(e -> out.put(e.getKey().toString(), e.getValue().toString()));
        } catch (Http2Exception e) {
            throw new IOException("undecodable header block from the server", e);
        } finally {
            block.release();
        }
        return out;
    }

    static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
