package org.fleethealth.health;

import org.springframework.data.jpa.repository.JpaRepository;

/** When each master was last classified. */
interface ClassificationRounds extends JpaRepository<ClassificationRound, String> {

}
