package dev.switchboard.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs once per engine under test, with a {@link TestEngine} parameter. Which engines run is set
 * by SWITCHBOARD_TEST_ENGINES; see {@link TestEngines}. Tagged {@value TestEngines#TAG}, as every test that uses the
 * run's engines must be: .ci/run's passes on the embedded engines select those tests alone.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EngineMatrix.class)
@Tag(TestEngines.TAG)
public @interface EngineTest {
}
