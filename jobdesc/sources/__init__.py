"""What comes from outside the project: профстандарты (Минтруд's XML) and the roles drafted from them.

Owns reading such files (safely, through :mod:`jobdesc.disk.reading`) into typed data, and the
drafting of a role file from that data. Imports only :mod:`jobdesc.disk` and :mod:`jobdesc.errors`.
"""
