/** The Ruhr cities' cooperation on integration began in 2008: no member reports for, or joined in, earlier years. */
export const COOPERATION_BEGAN = 2008;
