/** Mails about a member's account: verify the address, someone tried to sign up with it, reset the password. */
import type { RenderedMail } from './digest-mail.ts';
import { button, esc, heading, link, mailPage, paragraph } from './templates.ts';

interface Action {
  subject: string;
  preheader: string;
  title: string;
  lines: string[];
  url: string;
  label: string;
  footer: string;
}

function render(action: Action): RenderedMail {
  const html = mailPage({
    title: action.subject,
    preheader: action.preheader,
    body: [
      heading(action.title),
      ...action.lines.map((line) => paragraph(esc(line))),
      button(action.url, action.label),
      paragraph(`Or open this link: ${link(action.url, action.url, 'word-break:break-all')}`, true),
    ].join('\n'),
    footer: paragraph(esc(action.footer), true),
  });
  const text = [
    action.title,
    '',
    ...action.lines,
    '',
    `${action.label}: ${action.url}`,
    '',
    action.footer,
    '',
  ];
  return { subject: action.subject, html, text: text.join('\n') };
}

export function renderVerifyEmailMail(input: {
  host: string;
  username: string;
  verifyUrl: string;
  expiresInDays: number;
}): RenderedMail {
  return render({
    subject: 'Confirm your email for Dailypapers',
    preheader: 'One click to finish setting up your account.',
    title: `Welcome, ${input.username}`,
    lines: [
      `Confirm this address to upvote, comment and submit papers on ${input.host}.`,
      `The link works for ${input.expiresInDays} days, once.`,
    ],
    url: input.verifyUrl,
    label: 'Confirm my email',
    footer: 'If you did not sign up, ignore this mail: the account stays unconfirmed.',
  });
}

export function renderSignupAttemptMail(input: {
  host: string;
  loginUrl: string;
  resetUrl: string;
}): RenderedMail {
  return render({
    subject: 'Someone tried to sign up to Dailypapers with your email',
    preheader: 'You already have an account; nothing was changed.',
    title: 'You already have an account',
    lines: [
      `Someone, maybe you, tried to create an account on ${input.host} with this address. It already has an account, so nothing was changed.`,
      `Forgot your password? Reset it here: ${input.resetUrl}`,
    ],
    url: input.loginUrl,
    label: 'Log in',
    footer: 'If it was not you, you can ignore this mail.',
  });
}

export function renderPasswordResetMail(input: {
  host: string;
  username: string;
  resetUrl: string;
  expiresInMinutes: number;
}): RenderedMail {
  return render({
    subject: 'Reset your Dailypapers password',
    preheader: 'Choose a new password for your account.',
    title: `Reset the password of ${input.username}`,
    lines: [
      `Someone, hopefully you, asked to reset the password of this account on ${input.host}.`,
      `The link works for ${input.expiresInMinutes} minutes, once; setting a new password logs out every session.`,
    ],
    url: input.resetUrl,
    label: 'Choose a new password',
    footer: 'If you did not ask for this, ignore this mail: your password stays as it is.',
  });
}
