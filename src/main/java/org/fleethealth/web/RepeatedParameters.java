package org.fleethealth.web;

import java.util.Collection;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a parameter given several times where a request takes one value ({@code ?state=offline&state=flaky-host}):
 * Spring would use the first and drop the rest without a word, and the answer would look like what was asked. The
 * refusal is a 400 that names the parameter ({@link ParameterAdvice}).
 */
class RepeatedParameters implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return true;
		}
		for (MethodParameter parameter : method.getMethodParameters()) {
			RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
			if (param == null || takesSeveral(parameter.getParameterType())) {
				continue;
			}
			String name = !param.name().isEmpty() ? param.name() : parameter.getParameterName();
			String[] values = (name != null) ? request.getParameterValues(name) : null;
			if (values != null && values.length > 1) {
				throw new RepeatedParameterException(name, values.length);
			}
		}
		return true;
	}

	private static boolean takesSeveral(Class<?> type) {
		return type.isArray() || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
	}

	/** A single-valued parameter given several times. */
	static final class RepeatedParameterException extends RuntimeException {

		RepeatedParameterException(String name, int times) {
			super("'" + name + "' is given " + times + " times; it takes one value: ask once per value");
		}

	}

}
