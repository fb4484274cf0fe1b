package io.cairn.backend.engine;

/** Pull-style iteration over one bucket range of an {@link EngineView}. */
public interface EngineCursor extends AutoCloseable {

    /** Moves to the next entry; false when exhausted. */
    boolean next();

    /** The current key; valid after {@link #next()} returned true. */
    byte[] key();

    /** The current value; valid after {@link #next()} returned true. */
    byte[] value();

    @Override
    void close();

    /** A cursor with no entries. */
    static EngineCursor empty() {
        return new EngineCursor() {
            @Override
            public boolean next() {
                return false;
            }

            @Override
            public byte[] key() {
                throw new IllegalStateException("empty cursor");
            }

            @Override
            public byte[] value() {
                throw new IllegalStateException("empty cursor");
            }

            @Override
            public void close() {
            }
        };
    }
}
