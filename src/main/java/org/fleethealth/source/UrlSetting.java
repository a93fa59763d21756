package org.fleethealth.source;

import java.beans.PropertyEditorSupport;
import java.net.URI;
import java.util.Map;

import org.springframework.beans.factory.config.CustomEditorConfigurer;
import org.springframework.beans.propertyeditors.URIEditor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reads a URL setting ({@code fleet-health.masters[N].url}, {@code fleet-health.public-url}). What {@link URI} cannot
 * parse at all, as {@code 127.0.0.1:8010} (no scheme: what comes before the colon is read as one, and a scheme cannot
 * start with a digit), stopped the start with "Illegal character in scheme name at index 0"; the failure report now
 * says to give the scheme.
 * Anything Spring's {@code URIEditor} reads is read as it always was: whether it is an http(s) URL with a host is
 * {@link FleetProperties.Master}'s check, which names the master.
 *
 * <p>
 * A property editor, not a {@code @ConfigurationPropertiesBinding} converter: Spring Boot's binder asks the bean
 * factory's editors first, and Spring's own {@code URIEditor} would answer before any converter.
 */
@Configuration(proxyBeanMethods = false)
class UrlSetting {

	@Bean
	static CustomEditorConfigurer urlSettingEditor() {
		CustomEditorConfigurer configurer = new CustomEditorConfigurer();
		configurer.setCustomEditors(Map.of(URI.class, Editor.class));
		return configurer;
	}

	/**
	 * Spring's {@link URIEditor}, whose answer it keeps for everything that editor reads (so every other URI of the
	 * context is read as before), with the hint added where it fails.
	 */
	static final class Editor extends PropertyEditorSupport {

		@Override
		public void setAsText(String text) {
			URIEditor editor = new URIEditor();
			try {
				editor.setAsText(text);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("'" + text.strip() + "' is not a URL (" + ex.getMessage() + "): give it"
						+ " whole, with its scheme, as https://buildbot.python.org/all/ or http://127.0.0.1:8010/");
			}
			setValue(editor.getValue());
		}

		@Override
		public String getAsText() {
			Object value = getValue();
			return (value != null) ? value.toString() : "";
		}

	}

}
