package org.fleethealth.mail;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** The outbox. */
interface OutboxMessages extends JpaRepository<OutboxMessage, Long> {

	boolean existsByKindAndRecipientAndPeriod(String kind, String recipient, String period);

	/** Due messages, those tried least first, so one message that keeps failing cannot hold back the rest. */
	List<OutboxMessage> findByStatusAndNextAttemptAtLessThanEqualOrderByAttemptsAscIdAsc(String status, Instant now,
			Limit limit);

	long countByStatus(String status);

	long countByStatusAndAttemptsGreaterThan(String status, int attempts);

	long countByStatusAndNextAttemptAtGreaterThanEqual(String status, Instant since);

	Optional<OutboxMessage> findFirstByStatusInAndLastErrorIsNotNullOrderByNextAttemptAtDesc(Collection<String> statuses);

	Optional<OutboxMessage> findFirstByStatusAndAttemptsGreaterThanOrderByNextAttemptAtAsc(String status, int attempts);

	/** Messages of a status whose last attempt (or planned one) is since the given instant, oldest first. */
	List<OutboxMessage> findByStatusAndNextAttemptAtGreaterThanEqualOrderByIdAsc(String status, Instant since,
			Limit limit);

	List<OutboxMessage> findAllByOrderByIdDesc(Limit limit);

	List<OutboxMessage> findByStatusOrderByIdDesc(String status, Limit limit);

}
