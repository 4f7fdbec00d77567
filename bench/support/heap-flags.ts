/**
 * The V8 heap bounds production runs with (the Dockerfile's NODE_OPTIONS and `npm start`; a test
 * keeps the three alike). Without them V8 grows the old generation to about 330 MB between full
 * collections of an 85 MB live heap and keeps the pages; a 160 MB cap with 4 MB semi-spaces
 * keeps the 5,000-service bot near 215 MB resident. A bigger catalog raises the cap.
 */
export const HEAP_FLAGS = ['--max-old-space-size=160', '--max-semi-space-size=4'] as const;
