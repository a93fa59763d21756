package org.fleethealth.health;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** When a master's workers were last classified. */
@Entity
@Table(name = "classification_round")
class ClassificationRound {

	@Id
	private String master;

	private Instant classifiedAt;

	protected ClassificationRound() {
	}

	ClassificationRound(String master) {
		this.master = master;
	}

	void classified(Instant at) {
		this.classifiedAt = at;
	}

	Instant getClassifiedAt() {
		return this.classifiedAt;
	}

}
