package io.cairn.backend.mvstore;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2 file-system scheme {@value #SCHEME}{@code :} that opens plain disk files whose channels ignore thread
 * interrupts. A JDK {@link FileChannel} closes itself when a thread blocked in it is interrupted, which would take
 * the whole store down (MVStore panics and closes on any I/O error) because one reader was interrupted. The JDK
 * switch for this is {@code sun.nio.ch.FileChannelImpl.setUninterruptible()}, reachable only with
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (Cairn's launcher and tests pass it); without it channels
 * stay interruptible and {@link #isEffective()} says so.
 *
 * <p>Public with a public constructor only because H2 instantiates wrappers reflectively.
 */
public final class UninterruptibleFilePath extends FilePathWrapper {
    static final String SCHEME = "cairnnio";
    private static final Method SET_UNINTERRUPTIBLE = findSwitch();

    static {
        FilePath.register(new UninterruptibleFilePath());
    }

    public UninterruptibleFilePath() {
        // H2 creates one instance per path through this constructor
    }

    /** The H2 file name of {@code file} under this scheme; registers the scheme first. */
    static String fileName(Path file) {
        return SCHEME + ":" + file.toAbsolutePath();
    }

    /** Whether channels really are uninterruptible in this JVM. */
    static boolean isEffective() {
        return SET_UNINTERRUPTIBLE != null;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel channel = getBase().open(mode);
        if (SET_UNINTERRUPTIBLE != null && SET_UNINTERRUPTIBLE.getDeclaringClass().isInstance(channel)) {
            try {
                SET_UNINTERRUPTIBLE.invoke(channel);
            } catch (IllegalAccessException | InvocationTargetException e) {
                channel.close();
                throw new IOException("mvstore: cannot make " + name + " uninterruptible", e);
            }
        }
        return channel;
    }

    private static Method findSwitch() {
        try {
            Method m = Class.forName("sun.nio.ch.FileChannelImpl").getMethod("setUninterruptible");
            return m.trySetAccessible() ? m : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
