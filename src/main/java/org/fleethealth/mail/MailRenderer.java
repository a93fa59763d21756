package org.fleethealth.mail;

import java.util.Map;

import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** Renders mails from the Thymeleaf templates under {@code mail/}: a plain-text and an HTML part each. */
@Component
class MailRenderer {

	private final TemplateEngine text = engine(TemplateMode.TEXT, ".txt");

	private final TemplateEngine html = engine(TemplateMode.HTML, ".html");

	private static TemplateEngine engine(TemplateMode mode, String suffix) {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix("mail/");
		resolver.setSuffix(suffix);
		resolver.setTemplateMode(mode);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCacheable(true);
		// The Spring engine evaluates expressions with SpEL (the plain one needs OGNL).
		TemplateEngine engine = new SpringTemplateEngine();
		engine.setTemplateResolver(resolver);
		return engine;
	}

	/** The two parts of one mail. */
	record Rendered(String text, String html) {
	}

	Rendered render(String template, Map<String, Object> model) {
		Context context = new Context(java.util.Locale.ENGLISH, model);
		return new Rendered(this.text.process(template, context), this.html.process(template, context));
	}

}
