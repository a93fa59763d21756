package org.fleethealth.pruning;

import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** Reply tokens, by hash. */
interface ReplyTokens extends JpaRepository<ReplyToken, Long> {

	Optional<ReplyToken> findByTokenHash(String tokenHash);

	/** Locks the row so two clicks at once cannot both use a single-use link. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select t from ReplyToken t where t.tokenHash = ?1")
	Optional<ReplyToken> lockByTokenHash(String tokenHash);

}
