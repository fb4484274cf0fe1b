package io.cairn.server.peer;

/** The frame types of the peer protocol; the payload layouts are in the package doc. */
enum FrameType {
    HELLO(1),
    ACCEPT(2),
    ERROR(3),
    RAFT(4),
    REQUEST(5),
    RESPONSE(6),
    SNAPSHOT(7),
    CHUNK(8),
    END(9),
    SNAPSHOT_ACK(10),
    /** The membership a DISCOVER connection asked for. */
    MEMBERS(11);

    private static final FrameType[] BY_CODE = new FrameType[12];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    final int code;

    FrameType(int code) {
        this.code = code;
    }

    static FrameType of(int code) {
        FrameType t = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (t == null) {
            throw new PeerProtocolException("unknown frame type " + code);
        }
        return t;
    }
}
