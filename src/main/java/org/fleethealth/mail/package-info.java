/**
 * Mail to owners and maintainers: the weekly once-over digest, proposal notices, and their delivery through
 * a transactional outbox that loses nothing while SMTP is down and sends nothing twice.
 */
@ApplicationModule(allowedDependencies = {"fleet", "health", "pruning", "quarantine", "source", "system"})
package org.fleethealth.mail;

import org.springframework.modulith.ApplicationModule;
