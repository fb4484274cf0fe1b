package io.cairn.backend;

/**
 * The conformance suite every engine runs, by a subclass that names it:
 *
 * <pre>{@code
 * class XodusBackendConformanceTest extends BackendConformanceSuite {
 *     @Override protected String engine() { return "xodus"; }
 * }
 * }</pre>
 *
 * The tests live in a chain of abstract classes, one concern each (ranges, transactions, durability, crashes,
 * model), so no file grows past the size budget; this class is the one engines extend.
 */
public abstract class BackendConformanceSuite extends BackendModelTests {
}
