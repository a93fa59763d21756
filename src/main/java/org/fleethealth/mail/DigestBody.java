package org.fleethealth.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.fleethealth.system.FreeText;

/**
 * Makes a mail listing workers fit its outbox columns (text and HTML bodies, V2): first with all evidence, then
 * with fewer lines per worker, then with fewer workers in full and the rest named in one line. A message that does
 * not fit is never dropped: CPython has an owner with 20 workers serving 710 builders.
 */
final class DigestBody {

	/** The model key of the workers shown in full, and of the names of those left out. */
	static final String ITEMS = "workers";

	static final String MORE = "moreWorkers";

	/** The longest list of names left out (each name of a left-out worker, then "... and N more"). */
	private static final int MAX_MORE = 20_000;

	private DigestBody() {
	}

	/** A worker digest: {@code workers} holds {@link MailModel.WorkerItem}s. */
	static MailRenderer.Rendered render(MailRenderer renderer, String template, Map<String, Object> model) {
		List<UnaryOperator<MailModel.WorkerItem>> shorter = List.of((w) -> w.firstLines(5), (w) -> w.firstLines(1));
		return render(renderer, template, model, OutboxMessage.MAX_TEXT_BODY, OutboxMessage.MAX_HTML_BODY, shorter,
				(w) -> w.name() + " (" + w.master() + ")");
	}

	/**
	 * Renders the model, shortening its {@code workers} until both parts fit.
	 *
	 * @param shorter ways to shorten each item, mildest first
	 * @param label how a left-out item is named
	 */
	@SuppressWarnings("unchecked")
	static <T> MailRenderer.Rendered render(MailRenderer renderer, String template, Map<String, Object> model,
			int maxText, int maxHtml, List<UnaryOperator<T>> shorter, Function<T, String> label) {
		model.putIfAbsent(MORE, null);
		MailRenderer.Rendered mail = renderer.render(template, model);
		if (fits(mail, maxText, maxHtml)) {
			return mail;
		}
		List<T> items = (List<T>) model.get(ITEMS);
		for (UnaryOperator<T> shorten : shorter) {
			items = items.stream().map(shorten).toList();
			model.put(ITEMS, items);
			mail = renderer.render(template, model);
			if (fits(mail, maxText, maxHtml)) {
				return mail;
			}
		}
		for (int shown = items.size() / 2;; shown /= 2) {
			List<String> left = new ArrayList<>();
			items.subList(shown, items.size()).forEach((item) -> left.add(FreeText.oneLine(label.apply(item))));
			model.put(ITEMS, items.subList(0, shown));
			model.put(MORE, FreeText.join(left, ", ", MAX_MORE));
			mail = renderer.render(template, model);
			if (fits(mail, maxText, maxHtml) || shown == 0) {
				return mail;
			}
		}
	}

	private static boolean fits(MailRenderer.Rendered mail, int maxText, int maxHtml) {
		return mail.text().length() <= maxText && (mail.html() == null || mail.html().length() <= maxHtml);
	}

}
