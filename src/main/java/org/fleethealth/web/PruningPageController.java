package org.fleethealth.web;

import java.io.Serializable;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.pruning.ProposalNotFoundException;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningProperties;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.pruning.ReplyView;
import org.fleethealth.system.Durations;
import org.fleethealth.system.FreeText;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /pruning}: the maintainers' review queue. Each proposal with its evidence and the owner's reply, and
 * approve / reject / snooze-until actions; approved removals at the bottom, as exported.
 */
@PageController
class PruningPageController {

	private final PruningService pruning;

	private final Clock clock;

	private final PruningProperties properties;

	private final FleetQueries fleet;

	private final ReleaseGates gates;

	private final ReplyService replies;

	private final ApprovedRemovals approved;

	PruningPageController(PruningService pruning, Clock clock, PruningProperties properties, FleetQueries fleet,
			ReleaseGates gates, ReplyService replies, ApprovedRemovals approved) {
		this.replies = replies;
		this.approved = approved;
		this.pruning = pruning;
		this.clock = clock;
		this.properties = properties;
		this.fleet = fleet;
		this.gates = gates;
	}

	@GetMapping("/pruning")
	String queue(Model model) {
		List<ProposalView> all = this.pruning.proposals(Optional.empty());
		Map<String, Set<String>> stable = new HashMap<>();
		List<Row> waiting = all.stream()
			.filter((p) -> p.status() == ProposalStatus.PROPOSED || p.status() == ProposalStatus.SNOOZED)
			.sorted(Comparator.comparing(ProposalView::status).thenComparing(ProposalView::createdAt))
			.map((p) -> row(p, stable))
			.toList();
		model.addAttribute("waiting", waiting);
		model.addAttribute("approved", this.approved.list());
		model.addAttribute("closed", all.stream()
			.filter((p) -> !p.status().isOpen())
			.limit(20)
			.map(this::row)
			.toList());
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		model.addAttribute("snoozeDefault", today.plusDays(7));
		// Today is a snooze to the end of today, as the API takes it.
		model.addAttribute("today", today);
		model.addAttribute("latestSnooze", today.plusYears(1));
		// The thresholds as configured, so the page's explanation is true of this service.
		model.addAttribute("hideAfter", Durations.human(this.properties.hideBuildersAfter()));
		model.addAttribute("removeAfter", Durations.human(this.properties.removeAfter()));
		model.addAttribute("flakyRemoveAfter", Durations.human(this.properties.flakyRemoveAfter()));
		return "pruning";
	}

	private Row row(ProposalView p) {
		return new Row(p, this.replies.latestReply(p.master(), p.worker()).orElse(null), List.of(), List.of());
	}

	/**
	 * A waiting proposal with the builders it names that are in the master's stable set: hiding them changes what
	 * the release gate counts (a trial approved hiding 32 builders, 28 of them release-blocking, without a word of it);
	 * and the same worker's waiting proposals on other masters, which a decision here takes too.
	 */
	private Row row(ProposalView p, Map<String, Set<String>> stableByMaster) {
		Set<String> stable = stableByMaster.computeIfAbsent(p.master(), (m) -> this.fleet.builders(m)
			.stream()
			.filter((b) -> b.current() && this.gates.isStable(b))
			.map(FleetBuilder::name)
			.collect(Collectors.toSet()));
		return new Row(p, this.replies.latestReply(p.master(), p.worker()).orElse(null),
				p.builders().stream().filter(stable::contains).toList(), this.pruning.twins(p.id()));
	}

	@PostMapping("/pruning/{id}/approve")
	String approve(@PathVariable long id, Authentication who, RedirectAttributes redirect) {
		return decide(id, () -> this.pruning.approve(existing(id), who.getName()), "approved", redirect);
	}

	@PostMapping("/pruning/{id}/reject")
	String reject(@PathVariable long id, Authentication who, RedirectAttributes redirect) {
		return decide(id, () -> this.pruning.reject(existing(id), who.getName()), "rejected", redirect);
	}

	@PostMapping("/pruning/{id}/withdraw")
	String withdraw(@PathVariable long id, Authentication who, RedirectAttributes redirect) {
		return decide(id, () -> this.pruning.withdraw(existing(id), who.getName()),
				"withdrawn: it is not to be carried out", redirect);
	}

	/**
	 * Snoozes a proposal; a date left out or not a date is explained on the queue, as one out of range is (a trial got
	 * a bare error page for those two).
	 */
	@PostMapping("/pruning/{id}/snooze")
	String snooze(@PathVariable long id, @RequestParam(required = false) String until, Authentication who,
			RedirectAttributes redirect) {
		LocalDate date;
		try {
			date = snoozeDate(until);
		}
		catch (IllegalArgumentException ex) {
			existing(id);
			redirect.addFlashAttribute("error", "Proposal #" + id + " was not snoozed: " + ex.getMessage());
			redirect.addFlashAttribute("refusedSnooze", new RefusedSnooze(id, until));
			return "redirect:/pruning";
		}
		return decide(id, () -> {
			try {
				return this.pruning.snooze(existing(id), date, who.getName());
			}
			catch (IllegalArgumentException ex) {
				redirect.addFlashAttribute("refusedSnooze", new RefusedSnooze(id, until));
				throw new IllegalArgumentException("Proposal #" + id + " was not snoozed: " + ex.getMessage(), ex);
			}
		}, "snoozed until " + date, redirect);
	}

	private static LocalDate snoozeDate(String until) {
		if (until == null || until.isBlank()) {
			throw new IllegalArgumentException("give the date to snooze it until, as YYYY-MM-DD.");
		}
		try {
			return LocalDate.parse(until.strip());
		}
		catch (DateTimeParseException ex) {
			String typed = FreeText.abbreviate(FreeText.oneLine(until.strip()), 40);
			// As the reply page says it: 2026-02-30 has the form, and names no day.
			throw new IllegalArgumentException(DateInput.hasDateForm(until)
					? "there is no day " + typed + ": give a date that exists, as YYYY-MM-DD."
					: "'" + typed + "' is not a date; give it as YYYY-MM-DD.");
		}
	}

	/**
	 * Carries out a decision; a snooze date in the past is explained on the queue. A proposal decided already
	 * (closed meanwhile, or a second click) is a 409 page, as on the API ({@link PageAdvice}). The flash names the
	 * same worker's proposals on other masters that the decision took too.
	 */
	private String decide(long id, Supplier<ProposalView> decision, String what, RedirectAttributes redirect) {
		List<ProposalView> twins = this.pruning.twins(id);
		try {
			ProposalView p = decision.get();
			String also = twins.stream()
				.map((t) -> "#" + t.id() + " on " + t.master())
				.collect(Collectors.joining(", "));
			redirect.addFlashAttribute("done", "Proposal #" + p.id() + " (" + p.kind() + " " + p.worker() + " on "
					+ p.master() + ") " + what + (also.isEmpty() ? "" : ", and " + also + ", the same worker") + ".");
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/pruning";
	}

	private long existing(long id) {
		if (this.pruning.proposal(id).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, new ProposalNotFoundException(id).getMessage());
		}
		return id;
	}

	/**
	 * A snooze date the queue refused, given back to the proposal's date field so that a maintainer corrects it
	 * rather than types it again (the field showed the default date after a refusal).
	 *
	 * @param id the proposal's id
	 * @param until the date as typed, unchecked (a browser's date field shows nothing for text that is no date)
	 * (serializable: flash attributes live in the session, which is stored in the database)
	 */
	record RefusedSnooze(long id, String until) implements Serializable {

		/** The date as typed for proposal {@code proposal}, or {@code null} where it was refused for another. */
		public String typedFor(long proposal) {
			return (proposal == this.id) ? this.until : null;
		}

	}

	/**
	 * A proposal with the owner's latest reply.
	 *
	 * @param stable the proposal's builders that are in the stable set, as the release gate counts them
	 * @param twins the same worker's waiting proposals of the same kind on other masters ({@link PruningService#twins})
	 */
	record Row(ProposalView proposal, ReplyView reply, List<String> stable, List<ProposalView> twins) {
	}

}
