package dev.strangler.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a Docker engine: without one it is skipped with a loud
 * banner, or fails when {@code STRANGLER_REQUIRE_DOCKER=true} (see
 * {@link DockerRequirement}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DockerRequirement.class)
public @interface RequiresDocker {

}
