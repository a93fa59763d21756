/** Cross-cutting infrastructure: the one UTC clock every module reads time from. */
package org.fleethealth.system;
