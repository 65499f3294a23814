/**
 * Paths with some header parameters made optional, for headers the client sets itself on every
 * request (so callers need not pass them, and may still override them).
 */
export type WithSuppliedHeaders<Paths, Supplied extends string> = {
  [Path in keyof Paths]: {
    [Method in keyof Paths[Path]]: Paths[Path][Method] extends { parameters: { header: infer Header } }
      ? Omit<Paths[Path][Method], 'parameters'> & {
          parameters: Omit<Paths[Path][Method]['parameters'], 'header'> & {
            header?: Omit<Header, Supplied> & Partial<Pick<Header, Supplied & keyof Header>>;
          };
        }
      : Paths[Path][Method];
  };
};
