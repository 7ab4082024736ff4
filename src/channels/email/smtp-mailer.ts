import nodemailer from 'nodemailer';
import type { Mailer } from '../../core/handoff.js';

export interface SmtpMailerSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

/** E-mail over the business's SMTP server (handoff notifications). */
export function createSmtpMailer(settings: SmtpMailerSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
    },
  };
}
