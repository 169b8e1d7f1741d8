// The badge styles shields.io draws, apart from the drawing itself: routes name them in their schema at
// start, while badge-maker is loaded only when a badge is first asked for.
export const BADGE_STYLES = ['flat', 'flat-square', 'plastic', 'for-the-badge'] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];
