package io.mysqlresync.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.ServerBinary;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Real MariaDB/MySQL servers for integration tests: one {@link LocalPair} per test class,
 * started on first use, shared by its tests and killed after the class.
 *
 * <pre>
 * &#64;ExtendWith(RealServers.class)
 * class SomethingTest {
 *     &#64;BeforeEach void healthy(LocalPair pair) throws Exception { pair.reset(); }
 *     &#64;Test void something(LocalPair pair) { ... }
 * }
 * </pre>
 *
 * Without a mariadbd or mysqld on the machine the class is skipped, except when CI=true: there a
 * skipped real-server test would hide that nothing was tested, so it fails instead.
 */
public final class RealServers implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServers.class);

    /** The server binary, or the current test skipped (failed under CI=true) when there is none. */
    public static ServerBinary requireServerBinary() {
        Optional<ServerBinary> binary = ServerBinary.find();
        if (binary.isEmpty()) {
            String override = System.getenv(ServerBinary.OVERRIDE);
            String why = override != null ? ServerBinary.OVERRIDE + "=" + override + " is not executable"
                    : "no mariadbd or mysqld on PATH or in /usr/sbin";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + ", and CI=true: real-server tests must run in CI (install mariadb-server)");
            }
            Assumptions.abort(why + ": real-server tests skipped (apt-get install mariadb-server to run them)");
        }
        return binary.get();
    }

    /** Fails the class at once in CI; elsewhere leaves the skipping to each test (see below). */
    @Override
    public void beforeAll(ExtensionContext context) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            requireServerBinary();
        }
    }

    // Skipped per test, not per class: surefire reports a class aborted in beforeAll as
    // "Tests run: 0, Skipped: 0", which hides that nothing ran.
    @Override
    public void beforeEach(ExtensionContext context) {
        requireServerBinary();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalPair.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        requireServerBinary();
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        // The store closes AutoCloseable values when the class context ends: the pair dies with the class.
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(LocalPair.class, key -> {
            try {
                return LocalPair.start();
            } catch (Exception e) {
                throw new ParameterResolutionException("could not start a real server pair: " + e.getMessage(), e);
            }
        }, LocalPair.class);
    }
}
