package org.fleethealth.mail;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** The Quartz jobs of mail: thin, they hand over to the services. */
final class MailJobs {

	private MailJobs() {
	}

	/** The weekly once-over digest. */
	@DisallowConcurrentExecution
	static class OnceOver extends QuartzJobBean {

		private final OnceOverService digest;

		OnceOver(OnceOverService digest) {
			this.digest = digest;
		}

		@Override
		protected void executeInternal(JobExecutionContext context) {
			this.digest.run();
		}

	}

	/** Delivers the outbox. */
	@DisallowConcurrentExecution
	static class Deliver extends QuartzJobBean {

		private final MailDelivery delivery;

		Deliver(MailDelivery delivery) {
			this.delivery = delivery;
		}

		@Override
		protected void executeInternal(JobExecutionContext context) {
			this.delivery.deliver();
		}

	}

}
