/**
 * The HTTP face of fleet-health: the JSON API, the maintainers' pages (server-rendered Thymeleaf that works
 * without JavaScript), and who may do what (Spring Security: public reading, maintainers for changes).
 */
@ApplicationModule(allowedDependencies = {"fleet", "gate", "health", "mail", "pruning", "quarantine", "system"})
package org.fleethealth.web;

import org.springframework.modulith.ApplicationModule;
