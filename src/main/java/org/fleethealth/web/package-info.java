/** The HTTP face of fleet-health: the JSON API (and, later, the maintainers' pages). */
package org.fleethealth.web;
