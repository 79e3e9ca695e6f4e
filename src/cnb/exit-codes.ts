/** Exit codes fixed by the Buildpack API (detect) and used by the local lifecycle (launch). */
export const EXIT = {
  ok: 0,
  /** bin/build failure, or any error that is not "not for me". */
  error: 1,
  /** bin/detect: this buildpack does not apply to the app. */
  detectFail: 100,
  /** The launcher could not start the process (the real launcher uses 80–89). */
  launchError: 82,
} as const;
