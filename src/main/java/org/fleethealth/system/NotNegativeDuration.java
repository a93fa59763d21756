package org.fleethealth.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * A {@code fleet-health.*} duration for which zero means "none" or "at once" (a grace, a delay), but a negative one
 * means nothing: the start stops with the setting named. {@code null} is valid (see {@code @NotNull}).
 */
@Documented
@Constraint(validatedBy = {})
@DurationMin(seconds = 0)
@ReportAsSingleViolation
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
public @interface NotNegativeDuration {

	String message() default "must not be negative (zero or longer, as 0s, 5m or PT5M)";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
