package org.fleethealth.pruning;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.system.Hashes;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Owner reply links. A link carries a random token; only its SHA-256 is stored. Opening the link changes
 * nothing (mail scanners open every link); only the confirmation POST records the reply, once.
 */
@Service
public class ReplyService {

	private static final Log logger = LogFactory.getLog(ReplyService.class);

	/** The longest note a reply takes, in characters (after surrounding blanks are removed). */
	public static final int MAX_NOTE = 2000;

	private final SecureRandom random = new SecureRandom();

	private final ReplyTokens tokens;

	private final OwnerReplies replies;

	private final PruningService pruning;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final SharedWorkers shared;

	ReplyService(ReplyTokens tokens, OwnerReplies replies, PruningService pruning, Clock clock,
			ApplicationEventPublisher events, SharedWorkers shared) {
		this.events = events;
		this.shared = shared;
		this.tokens = tokens;
		this.replies = replies;
		this.pruning = pruning;
		this.clock = clock;
	}

	/** Creates a link token (in the caller's transaction) and returns it; it is never stored in clear. */
	@Transactional
	public String issue(String master, String worker, String ownerEmail, ReplyAction action, Instant expiresAt) {
		byte[] bytes = new byte[24];
		this.random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.tokens.save(new ReplyToken(hash(token), master, worker, ownerEmail, action, this.clock.instant(), expiresAt));
		return token;
	}

	/** What a link is about, without using it. */
	@Transactional(readOnly = true)
	public LinkCheck check(String token) {
		return this.tokens.findByTokenHash(hash(token)).map((t) -> check(t, this.clock.instant()))
			.orElse(LinkCheck.unknown());
	}

	private LinkCheck check(ReplyToken t, Instant now) {
		LinkCheck.Status status = (t.getUsedAt() != null) ? LinkCheck.Status.USED
				: (!t.getExpiresAt().isAfter(now)) ? LinkCheck.Status.EXPIRED : LinkCheck.Status.VALID;
		return new LinkCheck(status, t.getMaster(), t.getWorker(), t.getOwnerEmail(), t.getAction(), t.getExpiresAt(),
				t.getUsedAt(), alsoOn(t), approvedRemoval(t.getMaster(), t.getWorker()).orElse(null));
	}

	/** The other masters on which the reply acts too: "back by" and "retire it" count wherever the worker is. */
	private List<String> alsoOn(ReplyToken t) {
		if (t.getAction() != ReplyAction.BACK_BY && t.getAction() != ReplyAction.RETIRE) {
			return List.of();
		}
		return this.shared.masters(t.getMaster(), t.getWorker()).stream().skip(1).toList();
	}

	/**
	 * The worker's removal, approved already (by a maintainer, or by an earlier "retire it"), here or on another
	 * master that has it: a "back by" or "investigating" then changes no proposal, and goes to the maintainers.
	 */
	@Transactional(readOnly = true)
	public Optional<ProposalView> approvedRemoval(String master, String worker) {
		return approvedRemovals(master, worker).stream().findFirst();
	}

	/** Every such approved removal: here first, then on the other masters that have the worker. */
	@Transactional(readOnly = true)
	public List<ProposalView> approvedRemovals(String master, String worker) {
		return this.shared.masters(master, worker)
			.stream()
			.flatMap((m) -> this.pruning.proposals(m, worker).stream())
			.filter((p) -> p.kind() == ProposalKind.REMOVE_WORKER && p.status() == ProposalStatus.APPROVED)
			.toList();
	}

	/**
	 * Records the reply behind a link, once, and acts on it: "retire it" approves the worker's removal, "back
	 * by" snoozes its proposals until that day. Every recorded reply is announced as {@link OwnerReplied} ("fixed"
	 * releases a quarantined worker).
	 */
	@Transactional
	public LinkCheck redeem(String token, LocalDate backBy, String note) {
		Instant now = this.clock.instant();
		ReplyToken t = this.tokens.lockByTokenHash(hash(token)).orElse(null);
		if (t == null) {
			return LinkCheck.unknown();
		}
		LinkCheck check = check(t, now);
		if (check.status() != LinkCheck.Status.VALID) {
			return check;
		}
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		if (t.getAction() == ReplyAction.BACK_BY) {
			LocalDate last = today.plus(Period.ofYears(1));
			if (backBy == null) {
				throw new IllegalArgumentException("Please give the date it will be back by, between today and one year"
						+ " from now (" + today + " to " + last + ").");
			}
			if (backBy.isBefore(today) || backBy.isAfter(last)) {
				throw new IllegalArgumentException("Please give a date between today and one year from now (" + today
						+ " to " + last + "), not " + backBy + ".");
			}
		}
		else {
			backBy = null;
		}
		String cleanNote = (note == null || note.isBlank()) ? null : note.strip();
		if (cleanNote != null && cleanNote.length() > MAX_NOTE) {
			// Refused, not cut: a note cut short without a word loses its end, which may be what mattered.
			throw new IllegalArgumentException("The note has " + cleanNote.length() + " characters; at most " + MAX_NOTE
					+ " fit. Shorten it and confirm again.");
		}
		t.use(now);
		this.replies.save(new OwnerReply(t.getMaster(), t.getWorker(), t.getOwnerEmail(), t.getAction(), backBy,
				cleanNote, now));
		String by = OwnerReply.by(t.getOwnerEmail());
		ProposalView approved = approvedRemoval(t.getMaster(), t.getWorker()).orElse(null);
		if (t.getAction() == ReplyAction.RETIRE) {
			this.pruning.retire(t.getMaster(), t.getWorker(), by, now);
		}
		else if (t.getAction() == ReplyAction.BACK_BY) {
			this.pruning.snoozeFor(t.getMaster(), t.getWorker(), backBy, by, now);
		}
		// Other modules act on replies of theirs (quarantine: "fixed") after this commits.
		this.events.publishEvent(new OwnerReplied(t.getMaster(), t.getWorker(), t.getAction(), by, now,
				cleanNote, backBy));
		logger.info("Owner " + t.getOwnerEmail() + " replied '" + t.getAction() + "' for worker '" + t.getWorker()
				+ "' of master '" + t.getMaster() + "'");
		return new LinkCheck(LinkCheck.Status.RECORDED, t.getMaster(), t.getWorker(), t.getOwnerEmail(), t.getAction(),
				t.getExpiresAt(), now, alsoOn(t), approved);
	}

	static String hash(String token) {
		return Hashes.sha256(token);
	}

	/** Its owners' replies about a worker, newest first: here and on the other masters that have it ({@link SharedWorkers}). */
	@Transactional(readOnly = true)
	public List<ReplyView> replies(String master, String worker) {
		return this.shared.masters(master, worker)
			.stream()
			.flatMap((m) -> this.replies.findByMasterAndWorkerOrderByIdDesc(m, worker).stream())
			.sorted(Comparator.comparing(OwnerReply::getId).reversed())
			.map(ReplyView::of)
			.toList();
	}

	/** The latest reply about one worker, if any (as {@link #replies}). */
	@Transactional(readOnly = true)
	public Optional<ReplyView> latestReply(String master, String worker) {
		return replies(master, worker).stream().findFirst();
	}

	/** The latest reply for each worker of a master, also one given on another master that has it. */
	@Transactional(readOnly = true)
	public Map<String, ReplyView> latestReplies(String master) {
		Map<String, OwnerReply> latest = new HashMap<>();
		this.shared.masters(master).forEach((m) -> this.replies.findByMasterOrderByIdDesc(m)
			.forEach((r) -> latest.merge(r.getWorker(), r, (a, b) -> (b.getId() > a.getId()) ? b : a)));
		Map<String, ReplyView> views = new HashMap<>();
		latest.forEach((worker, r) -> views.put(worker, ReplyView.of(r)));
		return views;
	}

	/**
	 * What is known about a reply link.
	 *
	 * @param alsoOn the other watched masters on which the reply acts as well (the same worker configured there,
	 * {@link SharedWorkers}), for "back by" and "retire it"; else empty
	 * @param approvedRemoval the worker's removal, approved already (before this reply, once recorded), or
	 * {@code null}: a "back by" then snoozes nothing, and the maintainers are told instead
	 */
	public record LinkCheck(Status status, String master, String worker, String ownerEmail, ReplyAction action,
			Instant expiresAt, Instant usedAt, List<String> alsoOn, ProposalView approvedRemoval) {

		public LinkCheck {
			alsoOn = (alsoOn != null) ? List.copyOf(alsoOn) : List.of();
		}

		public static LinkCheck unknown() {
			return new LinkCheck(Status.UNKNOWN, null, null, null, null, null, null, List.of(), null);
		}

		/** The state of a link. */
		public enum Status {

			VALID, RECORDED, USED, EXPIRED, UNKNOWN

		}

	}

}
